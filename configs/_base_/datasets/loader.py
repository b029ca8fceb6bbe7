# What every pre-training dataset base shares: the loader. A dataset base (one file a dataset) inherits it
# and sets train_dataloader.dataset; the pipeline is the method's (pipelines/), given by the top-level
# config: train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline}})).
train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='SeededSampler', shuffle=True),  # reproducible crops (docs/reliability.md)
    collate_fn=dict(type='default_collate'))
