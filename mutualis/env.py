"""Small typed readers of the environment that fail loudly (STYLE.md point 8)."""

import os


class EnvError(RuntimeError):
    pass


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "oui", "on"}:
        return True
    if value in {"0", "false", "no", "non", "off"}:
        return False
    raise EnvError(f"{name} : valeur booléenne attendue, reçu « {raw} »")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise EnvError(f"{name} : nombre entier attendu, reçu « {raw} »") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str) -> str:
    """A secret given as NAME, or as the path of a file in NAME_FILE (Docker and systemd credentials): the
    file's content without its final line breaks. Both at once, or an unreadable or empty file, is refused."""
    value = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "")
    if value and path:
        raise EnvError(f"{name} et {name}_FILE sont donnés tous les deux : n'en donner qu'un")
    if not path:
        return value or default
    try:
        with open(path, encoding="utf-8") as fichier:
            secret = fichier.read().rstrip("\r\n")
    except OSError as exc:
        raise EnvError(f"{name}_FILE : le fichier « {path} » est illisible ({exc.strerror})") from exc
    if not secret.strip():
        raise EnvError(f"{name}_FILE : le fichier « {path} » est vide")
    return secret
