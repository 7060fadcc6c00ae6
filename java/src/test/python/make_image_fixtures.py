"""torchvision's colour-jitter functions and PIL resizes on a small random PIL image, with fixed factors.
Writes java/src/test/resources/fixtures/image_ops.txt: one line per case, 'name w h v0 v1 ...' (HWC uint8)."""
import numpy as np
from PIL import Image
import torchvision.transforms.functional as F

rng = np.random.default_rng(4)
arr = rng.integers(0, 256, (10, 12, 3), dtype=np.uint8)
arr[0, :4] = [[0, 0, 0], [255, 255, 255], [128, 128, 128], [200, 10, 10]]  # grey and saturated pixels
img = Image.fromarray(arr, "RGB")

cases = {
    "input": img,
    "brightness_1.3": F.adjust_brightness(img, 1.3),
    "brightness_0.55": F.adjust_brightness(img, 0.55),
    "contrast_0.6": F.adjust_contrast(img, 0.6),
    "contrast_1.45": F.adjust_contrast(img, 1.45),
    "saturation_1.4": F.adjust_saturation(img, 1.4),
    "saturation_0.5": F.adjust_saturation(img, 0.5),
    "hue_0.23": F.adjust_hue(img, 0.23),
    "hue_-0.4": F.adjust_hue(img, -0.4),
    "bilinear_7x5": img.resize((7, 5), Image.BILINEAR),
    "bilinear_17x13": img.resize((17, 13), Image.BILINEAR),
    "bicubic_7x5": img.resize((7, 5), Image.BICUBIC),
    "bicubic_17x13": img.resize((17, 13), Image.BICUBIC),
}
with open("../resources/fixtures/image_ops.txt", "w") as out:
    for name, im in cases.items():
        a = np.asarray(im.convert("RGB"), dtype=np.uint8)
        out.write(f"{name} {a.shape[1]} {a.shape[0]} " + " ".join(map(str, a.ravel())) + "\n")
