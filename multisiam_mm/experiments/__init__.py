"""The CamVid experiments as steps (pre-train, probe, fine-tune, read a metric): the demo, the
mini-reproduction and the learning curves share them. Importing it imports neither mmseg nor mmdet (the
fine-tune step runs them in a subprocess), so the demo runs on mmcv without compiled ops."""
