"""Path converters: a territory code and a theme code are plain ASCII (a NUL byte or any odd character
never reaches the database, where PostgreSQL would refuse it with a server error)."""


class CodeConverter:
    regex = "[0-9A-Za-z]{5,9}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ThemeConverter(CodeConverter):
    regex = "[A-Za-z]{2,5}"


class ActiviteConverter(CodeConverter):
    regex = "[A-Za-z0-9-]{1,24}"


class LivrableConverter(CodeConverter):
    regex = "GT[123]"
