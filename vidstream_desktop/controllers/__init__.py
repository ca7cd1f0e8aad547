"""Controllers: the behaviour between thin widgets and the headless core."""
