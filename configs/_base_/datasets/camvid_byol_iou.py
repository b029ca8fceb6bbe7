# The "BYOL + IoU threshold" baseline's data: BYOL's augmentations with the IoU-constrained pair
# crop, i.e. exactly the MultiSiam pipeline (the BYOL model ignores the packed boxes and flips).
_base_ = ['./camvid_multisiam.py']
