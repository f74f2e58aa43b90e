"""implan: implementation plans for Danish municipalities, in the terminal.

Kept empty on purpose: importing the package must stay cheap (the CLI imports it on every call).
"""
