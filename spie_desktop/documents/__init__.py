"""Documents a referent hands over: PDF letters and files (Typst), calendars (.ics).

Pure Python and headless: the CLI and the desktop app render with the same functions.
Nothing here touches the disk except :func:`spie_desktop.documents.output.write_document`,
which writes the finished bytes to the one path the user chose.
"""
