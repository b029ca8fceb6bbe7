"""The lab beside the plugin: measurement, experiments and diagnostics, run from the repository root.

Not installed (``setup.py`` packages ``multisiam_mm`` only) and never imported by it: everything here
imports the plugin. ``python -m lab.<module>`` from the repo root runs a tool:

* experiments on CamVid: ``demo`` (the README's main job, ``bash tools/run_demo.sh``), ``camvid_curves``
  (learning curves with the three instruments), ``camvid_minirepro`` (the method table), ``camvid_table4``
  (Table 4's rows x seeds at 150 epochs and their fine-tunes, in lanes; ``table4_report`` reads them into
  the table), all built on ``camvid_runs`` (pre-train, probe,
  fine-tune as subprocesses of the plugin's entry points); ``camvid_instruments`` (the three instruments
  for any set of backbones, resumable); ``camvid_finetune_curve`` (the fine-tune length for Table 4);
* speed: ``benchmark_step`` (MultiSiam's step against BYOL's), ``benchmark_throughput`` (model, pipeline,
  end to end), ``benchmark_pipeline`` (a worker's pairs/s, decoding fidelity), ``benchmark_waymo_access``
  (released vs prepared Waymo files, written by ``waymo_camera_fixtures``), all built on ``speed``;
* diagnostics of the dense probe: ``probe_diagnostics`` on ``feature_diagnostics``;
* the GPU check and its CPU rehearsal: ``device/``, scripts run by path (``bash lab/device/gpu_check.sh``,
  its README says how), its throughput parts built on ``speed`` too.
"""
