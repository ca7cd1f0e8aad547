"""The live video wall: a grid of tiles, each an embedded libvlc player with a slim info bar."""
