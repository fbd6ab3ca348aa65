"""GT3, « liste des activités mutualisables »: the activities worth pooling, why, the co-pilots' and
consultant's scores and the group's consensus, the suggested modalité and communes, the payroll at stake,
and the candidate actions exported for the optimiser."""
