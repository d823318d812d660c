"""The party lexicon (``party_words.yaml``): role nouns, signer aliases, template fields and
signature words, validated once and shared by the party finder and the resolver."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ndalint.errors import ConfigError

_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    individual: list[str]
    company: list[str]


class _Signature(BaseModel):
    model_config = ConfigDict(extra="forbid")
    company: list[str]
    individual: list[str]
    weak_individual: list[str]


class Lexicon(BaseModel):
    """``party_words.yaml``: role nouns, signer aliases, template fields and signature words."""

    model_config = ConfigDict(extra="forbid")
    individual_roles: list[str]
    company_roles: list[str]
    pronouns: list[str]
    signer_aliases: list[str]
    template_fields: _Fields
    signature: _Signature


@cache
def lexicon() -> Lexicon:
    source = resources.files("ndalint.structure") / "party_words.yaml"
    try:
        return Lexicon.model_validate(yaml.load(source.read_text(encoding="utf-8"), Loader=_YAML))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{source}: invalid party lexicon: {exc}") from None


@cache
def signer_opening() -> re.Pattern[str]:
    """「私は、」「本人は」「この度、誓約者は」: the words a pledge opens with, from ``signer_aliases``."""
    names = "|".join(map(re.escape, sorted(lexicon().signer_aliases, key=len, reverse=True)))
    # 「私は、」 and the filled-in form 「私 山田太郎 は、」 / 「私、山田花子は」
    return re.compile(rf"(?:^|[\s\u3000。、）)】]|この度、?)(?P<signer>{names})(?:[\s\u3000、]+[一-龥々ぁ-んァ-ヶー]{{2,10}}[\s\u3000]*)?(?:は|、)")
