"""A full MultiSiam training step under fp16 autocast with dynamic loss scaling (what ``tools/train.py --amp``
does on a GPU: AmpOptimWrapper) follows fp32 for 20 steps.

Two copies of one model (the main config at ResNet-18, 96 px crops, batch 8, the paper's 4096-wide heads)
train side by side on the same 20 batches with LARS; the fp32 copy runs without TF32. When the loss
scaler skips a step (an overflow while it finds its scale), the fp32 copy skips it too, so both follow
the same schedule of updates. Tolerance, at every step: each loss term finite and
``|L_amp - L_fp32| <= 0.02 + 0.02 |L_fp32|`` for the total loss (fp16); at most 5 skipped steps.
On the CPU (the rehearsal) bf16 stands in for fp16, with no scaler, and the tolerance is
``0.1 + 0.05 |L_fp32|`` (bf16 has 3 fewer mantissa bits; docs/performance.md section 4 measured 0.065
at most on a tiny CPU run). The model, its data preprocessor and LARS are the environment's host's
(``gpu_check.py`` runs this under both hosts).
"""
import copy
import os

import pytest
import torch
from mmengine.logging import MessageHub

from device_compare import build, model_cfg, pair_samples
from lab.speed import host_lars

pytestmark = pytest.mark.cuda

# the CPU rehearsal (MULTISIAM_CHECK_TINY=1, set by gpu_check.py --tiny) runs 5 steps: it proves the test
STEPS = 5 if os.environ.get('MULTISIAM_CHECK_TINY') == '1' else 20
BATCH, SIZE = 8, 96
TOLERANCE = {torch.float16: (0.02, 0.02), torch.bfloat16: (0.1, 0.05)}  # (absolute, relative)


def batches(device: str):
    gen = torch.Generator().manual_seed(5)
    for _ in range(STEPS):
        yield [torch.randint(0, 256, (BATCH, 3, SIZE, SIZE), dtype=torch.uint8, generator=gen).to(device)
               for _ in range(2)]


def test_fp16_with_loss_scaling_follows_fp32_for_20_steps(device, host):
    MessageHub.get_current_instance().update_info('max_iters', 1000)
    dtype = torch.float16 if device.startswith('cuda') else torch.bfloat16
    device_type = device.split(':')[0]
    model32 = build(model_cfg('configs/multisiam_r50_waymo.py', host)).to(device).train()
    model16 = copy.deepcopy(model32)
    opt32, opt16 = host_lars(model32), host_lars(model16)
    scaler = torch.amp.GradScaler(device_type, enabled=dtype == torch.float16)
    absolute, relative = TOLERANCE[dtype]
    rows, skipped = [], 0
    for step, views in enumerate(batches(device)):
        samples = pair_samples(BATCH)
        processed = model32.data_preprocessor(dict(inputs=views, data_samples=samples), True)
        inputs32, samples32 = processed['inputs'], processed['data_samples']
        losses32 = model32.loss(inputs32, samples32)
        sum(losses32.values()).backward()

        processed = model16.data_preprocessor(dict(inputs=views, data_samples=samples), True)
        inputs16, samples16 = processed['inputs'], processed['data_samples']
        with torch.autocast(device_type, dtype=dtype):
            losses16 = model16.loss(inputs16, samples16)
        scaler.scale(sum(losses16.values())).backward()
        scale = scaler.get_scale() if scaler.is_enabled() else 1.0
        scaler.step(opt16)
        scaler.update()
        skip = scaler.is_enabled() and scaler.get_scale() < scale  # the scaler found inf/NaN gradients
        if skip:
            skipped += 1
        else:
            opt32.step()
        opt16.zero_grad(set_to_none=True)
        opt32.zero_grad(set_to_none=True)

        total32 = sum(v.item() for v in losses32.values())
        total16 = sum(v.float().item() for v in losses16.values())
        assert all(torch.isfinite(v).all() for v in (*losses32.values(), *losses16.values())), \
            f'step {step}: a loss is not finite: {losses32} {losses16}'
        rows.append((step, total32, total16, skip, scale))
    print(f'[cuda-check] {host}: {dtype} autocast{" + GradScaler" if scaler.is_enabled() else ""} vs fp32, '
          f'{STEPS} steps, tolerance {absolute} + {relative} |L|, {skipped} skipped step(s)')
    print('[cuda-check] step: fp32 total, amp total, |diff|' + ''.join(
        f'\n[cuda-check] {s:2d}: {a:9.5f} {b:9.5f} {abs(a - b):.5f}{" (skipped, scale " + str(sc) + ")" if k else ""}'
        for s, a, b, k, sc in rows))
    worst = max(abs(a - b) - (absolute + relative * abs(a)) for _, a, b, _, _ in rows)
    assert worst <= 0, f'amp left the fp32 loss by {worst:.4f} more than the tolerance (table above)'
    assert skipped <= 5, f'the loss scaler skipped {skipped} of {STEPS} steps'
    assert rows[-1][1] != rows[0][1], 'the fp32 loss did not move: nothing was trained'
