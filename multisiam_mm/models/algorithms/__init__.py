from .multisiam import MultiSiam

__all__ = ['MultiSiam']
