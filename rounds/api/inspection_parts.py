"""The parts of an inspection in the rounds API: preparation requests and items, work tasks,
milestones, problems, extension visits."""

ROUTES: list = []
