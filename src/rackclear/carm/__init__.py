"""Canada CARM: the Commercial Accounting Declaration, its deadlines and AMPS exposure."""
