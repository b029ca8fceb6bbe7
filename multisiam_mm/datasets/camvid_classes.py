"""CamVid's 11 classes, their colours and the void id: the one list that every CamVid reader uses.

The 480x360, 11-class form of CamVid used by the SegNet benchmark (Brostow, Fauqueur, Cipolla, "Semantic
object classes in video: A high-definition ground truth database", Pattern Recognition Letters 2009), as
the README of the full copy (``../shared/data/camvid/README.md``) and ``demo/camvid/NOTICE`` describe it:
label PNGs hold ids 0..10 in the order of :data:`CAMVID_CLASSES` and 11 for void (unlabelled), which must
be ignored in training and evaluation.

Users: the dense probe and the other instruments of :mod:`multisiam_mm.evaluation` (void ignored as
:data:`CAMVID_VOID_ID`), mmseg's ``CamVidDataset`` of :mod:`multisiam_mm.downstream.segmentation` (void
mapped to mmseg's ignore index 255) and ``tools/benchmarks/dense_probe.py`` (the table's columns).
The mmseg configs of ``configs/benchmarks/mmsegmentation/camvid/`` restate the class count (their decode
heads' ``num_classes=11``) instead of importing it: their model base ``_base_/models/fcn-16s_r18.py`` has
no ``_base_`` of its own, and an import there makes it mmengine's lazy-import kind of config, which the
plain configs that inherit it cannot read. tests/downstream/test_camvid.py checks both counts against
``len(CAMVID_CLASSES)``; the names reach mmseg through ``CamVidDataset.METAINFO``.
"""
#: The class of each label id 0..10 (the README's names; 'sidewalk' is the README's 'pavement').
CAMVID_CLASSES = ('sky', 'building', 'pole', 'road', 'sidewalk', 'tree', 'sign/symbol', 'fence', 'car',
                  'pedestrian', 'bicyclist')
#: RGB colour of each class, in the order of :data:`CAMVID_CLASSES` (the original CamVid label colours).
CAMVID_PALETTE = ((128, 128, 128), (128, 0, 0), (192, 192, 128), (128, 64, 128), (0, 0, 192), (128, 128, 0),
                  (192, 128, 128), (64, 64, 128), (64, 0, 128), (64, 64, 0), (0, 128, 192))
#: The void (unlabelled) id of the label PNGs, ignored in training and evaluation.
CAMVID_VOID_ID = 11
