# The main recipe (lars_coslr-325e.py: LARS, base lr 1.0 per 256 images, 10 warm-up epochs, cosine to the
# end) for 55 epochs.
_base_ = ['./lars_coslr-325e.py']

train_cfg = dict(max_epochs=55)
