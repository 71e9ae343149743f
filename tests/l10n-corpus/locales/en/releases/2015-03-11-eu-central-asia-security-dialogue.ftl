title = Dushanbe hosts EU-Central Asia High Level Security Dialogue

body =
    Dushanbe hosted today the 2nd High Level Security Dialogue between the { -eu } and the countries of Central Asia (Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan). Afghanistan was invited as a special guest to the Dialogue.

    The meeting was held at the level of deputy foreign ministers and chaired by Ms. Helga Schmid, the Deputy Secretary General of the { -eeas }. Participants included Deputy Foreign Minister Alexei Volkov from Kazakhstan, Deputy Foreign Minister Erinest Otorbaev from Kyrgyzstan, Deputy Foreign Minister Zohidi Nizomiddin Shamsiddinzoda from Tajikistan, Deputy Foreign Minister Hekmat Karzai from Afghanistan, as well as representatives from Turkmenistan and Uzbekistan.

    The participants exchanged views on a number of key security issues of relevance to the EU, Central Asia and Afghanistan. Security challenges such as radicalisation and foreign fighters, migration, as well as regional stability and security connected to the fight against drug trafficking and smuggling were discussed. It was agreed to intensify common efforts between the EU and Central Asian states in all these areas, and to extend these also to regional cooperation between Afghanistan and Central Asia.

    This Dialogue provided a platform addressing political and security issues of shared concern, including terrorism, extremism, drug trafficking and CBRN (chemical, biological, radiological and nuclear) risks. The participants agreed to reinforce their cooperation notably in the following areas:

    - preventing the proliferation of CBRN materials, i. a. through the opening of a regional Centre of Excellence in Tashkent, Uzbekistan in spring 2015;
    - developing new forms of cooperation between experts of the EU and Central Asian states on countering terrorism and violent extremism in Brussels in March as well as in Bishkek in May;
    - promoting the participation of Central Asian states in activities of the Hedayah Centre of Excellence for Countering Violent Extremism in Abu Dhabi:
    - strengthening further cooperation on border management and the fight against drug trafficking by the renewed EU regional programmes BOMCA and CADAP now to be implemented by EU Member States agencies directly and to reinforce their synergies with the EU's border management programme for Afghanistan, BOMNAF;
    - deepening its cooperation on migration, among others via increased participation of Central Asian states in the Migration EU Expertise (MIEUX) facility and the Prague Process between the EU and third countries, currently led by Poland.

background =
    The High Level Security Dialogue reflects a shared interest that the EU and Central Asian countries have in strengthening dialogue and cooperation on security issues. It continues the tradition of security-focused exchanges, including annual EU – Central Asia Ministerial Meetings. It builds on the intensified levels of cooperation developed through the EU – Central Asia Strategy for Partnership adopted by the European Council in 2007 and the substantial EU cooperation programs in the region. The High Level Security Dialogue is held regularly; the first Dialogue was held in 2013 in Brussels. This Dialogue coincides with an ongoing review of the EU's Central Asia Strategy and will contribute to its outcome.
