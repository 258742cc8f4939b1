from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the parameters OWASP recommends as a minimum:
    m=19 MiB, t=2, p=1 (Django's defaults are heavier on memory, lighter on time)."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
