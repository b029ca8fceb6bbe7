# The paper's ablation recipe (Sec. 4.3, App. D; every row of Tables 2-4, 8, 9): 150 epochs, base lr 0.3,
# batch 1024 (8 GPUs x 128) with "parameters updated every four iterations to mimic a batch size of 4096
# following BYOL"; LARS, weight decay 1e-5, BN and biases excluded as in the main recipe. The ablation
# base momentum 0.99 is a model key (configs/_base_/multisiam-ablation_r50_waymo.py).
#
# lr scaling (lr = base x batch / 256; the paper leaves open which batch): the effective batch, 4096, so
# lr = 0.3 x 4096 / 256 = 4.8 (PretrainRunner counts the accumulation in the batch). Why: the rows are said to mimic batch 4096, and mmengine's accumulation
# averages the gradient over all 4096 images (each loss is divided by accumulative_counts), so the step
# sees a 4096 batch; and base lr 0.3 at 4096 is LARS lr 4.8, the BYOL recipe of the paper's codebase
# lineage (OpenSelfSup / MMSelfSup BYOL at batch 4096). The other reading, 0.3 x 1024 / 256 = 1.2,
# is one override away: optim_wrapper.optimizer.lr=0.075 (0.075 x 4096 / 256 = 1.2).
# Warm-up: 10 epochs, as the main recipe (the paper gives none for either); the cosine ends at max_epochs.
# The EMA target moves once per optimizer step, not per forward: OptimStepEMAHook (default_runtime.py).
_base_ = ['./lars_coslr-325e.py']  # LARS, weight decay 1e-5, BN/bias exclusions, 10 warm-up epochs, cosine

optimizer = dict(lr=0.3)  # per 256 images
optim_wrapper = dict(optimizer=optimizer, accumulative_counts=4)
train_cfg = dict(max_epochs=150)
