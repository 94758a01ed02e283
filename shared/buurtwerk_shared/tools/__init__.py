"""Operations commands: dead letters and backups (`python -m buurtwerk_shared.tools.<name>`)."""
