"""Work the app and the command line share that needs no Textual: opening the
unit's database, exporting, the start-up checks. Sentences come from tui.words."""
