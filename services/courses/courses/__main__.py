from buurtwerk_shared.service.cli import main
from courses.service import definition

main(definition)
