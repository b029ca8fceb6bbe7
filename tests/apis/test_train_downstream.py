"""multisiam_mm.apis.train_downstream: the default work dir (load_config: tests/downstream/test_config_variables.py)."""
from multisiam_mm.apis.train_downstream import default_work_dir


def test_default_work_dir_mirrors_the_config_path_below_configs(tmp_path):
    assert default_work_dir('configs/benchmarks/mmsegmentation/camvid/fcn-16s_r18_1k.py') == \
        'work_dirs/benchmarks/mmsegmentation/camvid/fcn-16s_r18_1k'
    assert default_work_dir(str(tmp_path / 'configs' / 'a' / 'b.py')) == 'work_dirs/a/b'
    assert default_work_dir(str(tmp_path / 'elsewhere.py')) == 'work_dirs/elsewhere'  # outside configs/
