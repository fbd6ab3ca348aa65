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
