"""Pages of the surveys app: the tenant's templates, an inspection's surveys (set-up, code
sheets, results, free texts) and the public answer pages."""
