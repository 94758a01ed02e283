from buurtwerk_shared.service.cli import main
from volunteers.service import definition

main(definition)
