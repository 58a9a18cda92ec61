"""The Word writer behind :func:`evaluation.render.word.render_docx`, one concern a module.

* :mod:`.inline`: reading the report HTML (block and skipped tags, character formats, white space);
* :mod:`.base`: what the table and figure writers need of the writer (a protocol);
* :mod:`.builder`: the writer that walks the HTML (headings, paragraphs, lists, notices);
* :mod:`.paragraphs`: paragraph and run formatting in WordprocessingML (boxes, alignment, fields);
* :mod:`.tables`: HTML tables as Word tables (header rows, spans, column widths);
* :mod:`.figures`: embedded images as inline pictures, figures kept with their captions;
* :mod:`.sections`: page set-up, the page footer, landscape sections for wide content;
* :mod:`.reference`: the house-style reference document, the proofing language, missing styles;
* :mod:`.determinism`: fixed core properties and a re-packed zip, so the same HTML gives the same bytes.
"""
