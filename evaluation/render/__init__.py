"""render: an executed report notebook in the formats a funder receives.

* :mod:`.html`: one self-contained, offline HTML page (nbconvert), the source of the others;
* :mod:`.pdf`: the HTML as a reproducible PDF (WeasyPrint, offline);
* :mod:`.word`: the HTML as a reproducible Word document (python-docx; the writer is :mod:`.docx`);
* :mod:`.keyfigures`: the JSON of key figures, parameters and provenance;
* :mod:`.pages`: the page footer words shared by the PDF and Word.
"""
