"""The headings of Regulation (EU) 2024/1689 (the EU AI Act) as published in the
Official Journal, for the articles and annexes aimsctl cites: the obligations and the
crosswalk name them so. Some were shortened or paraphrased before (Art. 50 carried
the 2021 proposal's Art. 52 heading)."""

from __future__ import annotations

HEADINGS = {
    "Art. 4": "AI literacy",
    "Art. 5": "Prohibited AI practices",
    "Art. 9": "Risk management system",
    "Art. 10": "Data and data governance",
    "Art. 11": "Technical documentation",
    "Art. 12": "Record-keeping",
    "Art. 13": "Transparency and provision of information to deployers",
    "Art. 14": "Human oversight",
    "Art. 15": "Accuracy, robustness and cybersecurity",
    "Art. 17": "Quality management system",
    "Art. 23": "Obligations of importers",
    "Art. 24": "Obligations of distributors",
    "Art. 26": "Obligations of deployers of high-risk AI systems",
    "Art. 27": "Fundamental rights impact assessment for high-risk AI systems",
    "Art. 43": "Conformity assessment",
    "Art. 47": "EU declaration of conformity",
    "Art. 48": "CE marking",
    "Art. 49": "Registration",
    "Art. 50": "Transparency obligations for providers and deployers of certain AI systems",
    "Art. 53": "Obligations for providers of general-purpose AI models",
    "Art. 72": "Post-market monitoring by providers and post-market monitoring plan for "
    "high-risk AI systems",
    "Art. 73": "Reporting of serious incidents",
    "Art. 16": "Obligations of providers of high-risk AI systems",
    "Art. 18": "Documentation keeping",
    "Art. 19": "Automatically generated logs",
    "Art. 20": "Corrective actions and duty of information",
    "Art. 21": "Cooperation with competent authorities",
    "Art. 25": "Responsibilities along the AI value chain",
    "Art. 86": "Right to explanation of individual decision-making",
    "Art. 87": "Reporting of infringements and protection of reporting persons",
    "Annex IV": "Technical documentation referred to in Article 11(1)",
}
