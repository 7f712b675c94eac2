"""Draws the field app's icons (static/field/icon-192.png, icon-512.png; committed, so run only to change them):
a white house on the app's green, with room around it for Android's maskable crop."""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (11, 110, 79)
OUT = Path(__file__).resolve().parents[1] / "static" / "field"


def icon(size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), GREEN)
    draw = ImageDraw.Draw(image)
    s = size / 100
    draw.polygon([(50 * s, 24 * s), (76 * s, 48 * s), (24 * s, 48 * s)], fill="white")  # roof
    draw.rectangle([31 * s, 47 * s, 69 * s, 74 * s], fill="white")  # walls
    draw.rectangle([45 * s, 58 * s, 55 * s, 74 * s], fill=GREEN)  # door
    draw.ellipse([60 * s, 20 * s, 78 * s, 38 * s], outline="white", width=max(2, round(3 * s)))  # a signal
    return image


if __name__ == "__main__":
    for size in (192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
