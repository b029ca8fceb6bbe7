# The MultiSiam two-view pipeline (Sec. 3.2, 4.1); a top-level config puts it in its dataset with
# train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline}})). Two random-resized crops with
# IoU > iou_threshold in original-image pixels, resized to 224, then each view's BYOL augmentation
# (asymmetric blur / solarize). Packed fields: docs/data.md.
# LoadAndPairCrop loads and crops in one step: the pair is sampled from the image size, then a JPEG is
# decoded at the coarsest DCT scale (1/2, 1/4, 1/8) that still leaves both crops at least 224 px per side
# (views within resampling noise of full decoding; docs/performance.md measures speed and fidelity).
# decode='full' is the exact mode (= LoadImageOrSkip + IoUConstrainedPairCrop, identical views). The
# per-view augmentations (view_pipeline1, view_pipeline2) are BYOL's, from byol_view_augment.py, applied
# on the training device.
_base_ = ['./byol_view_augment.py']

# The steps after the pair crop, named so that a config changing only the crop (IoU threshold, scale:
# configs/ablations/) restates the crop and reuses these: [dict(type='LoadAndPairCrop', ...),
# {{_base_.per_view_augment}}, {{_base_.pack_inputs}}].
# Workers only decode and crop: PerViewAugment draws each view's flip and photometric parameters and the
# model's ViewAugmentPreprocessor applies them batched on the training device, with the same arithmetic
# (docs/data.md). on_device=False runs BYOL's per-view transforms in the workers instead.
per_view_augment = dict(
    type='PerViewAugment', transforms=[{{_base_.view_pipeline1}}, {{_base_.view_pipeline2}}], on_device=True)
pack_inputs = dict(type='PackViews', fields=['crop_boxes', 'flipped', 'view_augment'], meta_keys=['img_path', 'ori_shape'])

train_pipeline = [
    dict(
        type='LoadAndPairCrop',
        size=224,
        scale=(0.08, 1.),
        ratio=(3. / 4., 4. / 3.),
        iou_threshold=0.5,
        interpolation='bicubic',
        backend='pillow',
        decode='reduced',  # 'full': exact full-resolution decoding
        oversample=1.0),
    per_view_augment,
    pack_inputs,
]
