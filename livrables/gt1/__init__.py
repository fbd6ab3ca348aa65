"""GT1, « liste des activités par domaine »: each commune says which activities of the theme it
exercises, with how many ETP (prefilled from its payroll) and its specifics; the group reads them
consolidated."""
