"""lit: literature knowledge extraction for chemistry and materials science.

Data flows one way: file -> Document -> Sentences -> Mentions -> Relations -> Facts -> graph.
The subpackages follow that flow: ``lit.extract`` (readers, document model, segmentation,
normalisation, pipeline), ``lit.models`` (NER and relation models), ``lit.graph`` (stores,
query, export). Heavy libraries (torch, transformers) are imported lazily so that the CLI
starts fast.
"""

__version__ = "0.1.0"
