"""`implan serve`: implan in the browser for a whole team, on one server and one database.

textual-serve (Textualize's own) relays a terminal over a websocket and runs `implan` as one
process per browser session; this package adds what a municipality's server needs around it:
an access token off loopback (gate.py), a Danish page, and sessions on the server's database.
Only `implan serve` imports it.
"""
