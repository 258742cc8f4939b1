"""Backups of the portal and their restore (README, « Backup and restore »):

- ``folder``: what a backup folder holds, its manifest, and the check of a
  backup's files against it;
- ``postgres``: pg_dump's and pg_restore's connection, the tables and their rows;
- ``making``: a new backup, and the retention of the older ones;
- ``restoring``: a backup checked, then restored into an empty database and
  an empty MEDIA_ROOT.
"""
