# The "BYOL + IoU threshold" baseline's data on Waymo: exactly the MultiSiam pipeline.
_base_ = ['./waymo_multisiam.py']
