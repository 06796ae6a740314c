"""lit: literature knowledge extraction for chemistry and materials science.

Data flows one way: file -> Document -> Sentences -> Mentions -> Relations -> Facts -> graph.
The subpackages follow that flow: ``lit.extract`` (readers, document model, segmentation,
normalisation, pipeline), ``lit.models`` (NER and relation models), ``lit.graph`` (stores,
query, export). Heavy libraries (torch, transformers) are imported lazily so that the CLI
starts fast.
"""

import os

__version__ = "0.1.0"

# OpenMP threads that busy-wait collapse when cores are shared (measured on the 2-core dev
# machine under load: 2 spinning threads ran the NER forward pass at ~250 tokens/s, passive
# ones at ~830, one thread ~800; a profile of 200 abstracts took 192 s instead of 33 s). It
# must be set before torch loads, so it is set here, for the CLI, the workers (they inherit
# it) and library callers alike; a value the user set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
