"""The spreadsheet round trip of the three deliverables (issue 4, point 5): a deliverable exported to XLSX
or ODS, filled offline, re-imported and merged cell by cell with what the app holds now.

A deliverable describes its workbook with a `Disposition` (disposition.py: its columns in French, which
cells a user may change, the values the merge compares) and builds an `Export` of `RangExport`s
(ecriture.py writes it); reading back gives `RangImport`s (lecture.py: what was exported, what the file
says), and fusion.py merges them with the rows in the app now, with its conflicts. gt1.py, gt2.py and
gt3.py hold what is particular to each deliverable; actions.py writes a merged import; views.py and
pages.py are the export, import and conflict pages."""
