"""Path parameters shared by the services' routes."""

from typing import Annotated

from fastapi import Path

# The id of a reference-data entry or catalogue item (a kitchen, a centre, an indicator): an
# unknown one is a 404, an overlong one a 422.
SlugPath = Annotated[str, Path(min_length=1, max_length=64)]
