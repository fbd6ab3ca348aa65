"""Small files the publication tests upload."""

import io


def _png() -> bytes:
    from PIL import Image

    sortie = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 93, 107)).save(sortie, "PNG")
    return sortie.getvalue()


PNG = _png()
