"""VidStream desktop: the operator's camera wall, recordings browser and archive, on Qt."""
