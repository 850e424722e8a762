"""``diptych review``: correct, approve and re-align editions in a local web page.

* :mod:`.edits`  what a reviewer changes in a record (pure ``Document`` operations)
* :mod:`.xliff`  XLIFF 2.0 and 1.2 exports for CAT tools
* :mod:`.store`  the served records: found, loaded, saved atomically, re-rendered
* :mod:`.server` the HTTP API and the page, on Starlette under uvicorn (imported only here)
"""
