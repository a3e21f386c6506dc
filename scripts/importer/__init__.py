"""Import published 决算 reports (PDF with a text layer, text extracted from a PDF) as printed cells.

    document.py  read a file into pages of positioned tokens (pure; errors name file and page)
    numbers.py   one normaliser for every way a PDF prints an amount
    layouts.py   the printed layouts, read from seeds/templates (the same rows and columns the marts print)
    tables.py    find the nine tables in a document and turn them into printed cells
    leaves.py    the leaf facts the printed cells imply (the shapes of seeds/amounts)
"""
