"""HACCP kitchen logs: equipment, check definitions, records, deviations and corrective actions,
cooling and reheating, goods receipt with lot traceability, refurbishment, the inspector export."""
