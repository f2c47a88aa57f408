"""Colour sets for designed covers, shared by the config check and the cover designer."""

#: (background, text, accent). One is picked from the title's hash, or by name
#: with ``cover-palette`` in book.yaml.
PALETTES = {
    "ink": ((28, 52, 74), (245, 235, 210), (214, 178, 102)),
    "forest": ((32, 64, 48), (240, 236, 220), (196, 160, 90)),
    "oxblood": ((98, 28, 36), (248, 238, 226), (226, 196, 140)),
    "slate": ((54, 60, 70), (236, 238, 240), (150, 190, 210)),
    "paper": ((242, 236, 222), (40, 36, 32), (160, 52, 40)),
    "ochre": ((196, 140, 52), (30, 24, 20), (250, 244, 230)),
}
