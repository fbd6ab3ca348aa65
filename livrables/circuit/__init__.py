"""The validation circuit of a group's deliverables (GT1, GT2, GT3), any kind: submission, the two
co-pilots' visas, return, reopening, old versions and their restoration (the workflow is
validation/actions.py's), the content snapshot of each version, the e-mail asking for the visas, and the
deliverables' panel on the group's page."""
