from buurtwerk_shared.service.cli import main
from meals.service import definition

main(definition)
