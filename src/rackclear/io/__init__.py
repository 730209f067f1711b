"""Reading deployment maps and writing dossiers."""
