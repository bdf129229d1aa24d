"""What the core says as facts (codes, dates, names, counts), worded for the screens.

The core never words a sentence for the interface: it returns codes and values (a caseload
row's alerts, a path deadline, a journal entry's fact). These modules turn them into text in
the interface's language through the translation catalogue, so the English interface reads
English and the French one reads the French source strings. Exports and documents (French
by design) word their own sentences in the core."""
