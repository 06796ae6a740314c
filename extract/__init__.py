"""From files to Documents to Facts: readers, the document model, segmentation,
normalisation and the extraction pipeline."""
