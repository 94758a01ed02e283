from buurtwerk_shared.service.cli import main
from reporting.service import definition

main(definition)
