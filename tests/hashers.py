from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with test-sized cost: same algorithm and hash format, a fraction of the time."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
