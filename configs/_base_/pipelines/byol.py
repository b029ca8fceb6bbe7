# BYOL's two-view pipeline: each view cropped on its own (BYOL's random-resized crop, no IoU constraint, no
# box used), then BYOL's augmentation of that view. It is the MultiSiam pipeline (multisiam.py) with
# iou_threshold=None, so the BYOL baselines decode, crop and augment exactly as MultiSiam does (Table 1 / 4
# compare the methods, not their input pipelines): workers decode and crop, the model's
# ViewAugmentPreprocessor applies the augmentation on the training device.
_base_ = ['./multisiam.py']

train_pipeline = [
    dict(_base_.train_pipeline[0], iou_threshold=None),  # independent crops
    *_base_.train_pipeline[1:],
]
