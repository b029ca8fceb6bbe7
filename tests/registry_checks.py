"""Where the core's components are found from a host's scope: one helper for both hosts' tests."""
from mmengine.registry import Registry


def root_of(registry: Registry) -> Registry:
    """The registry at the top of ``registry``'s parents: mmengine's."""
    while registry.parent is not None:
        registry = registry.parent
    return registry


def core_names(registry: Registry) -> set[str]:
    """The names the core registered in ``registry``'s root."""
    return {name for name, module in root_of(registry).module_dict.items()
            if module.__module__.startswith('multisiam_mm')}


def shadowed_core_names(registry: Registry) -> set[str]:
    """Core names that ``registry`` or a registry between it and the root resolves to another object: a host
    scope searches its own registries before mmengine's root, so a name of its own would hide the core's."""
    root, shadowed = root_of(registry), set()
    while registry is not root:
        shadowed |= {name for name in core_names(root) & set(registry.module_dict)
                     if registry.get(name) is not root.get(name)}
        registry = registry.parent
    return shadowed
